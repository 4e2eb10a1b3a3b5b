package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The build's AOT training run keeps working as commands change: a training command that starts failing would
 * only thin the cache silently (the build goes on), so every one of them must succeed here.
 */
class AotTrainingTest {
    @Test
    void everyTrainingCommandSucceedsAgainstTheCannedEndpoint() throws Exception {
        assertThat(AotTraining.run(0)).isZero();
    }

    @Test
    void theShortCommandsTrainingSucceedsTwice() throws Exception {
        assertThat(AotTraining.run(1, AotTraining.Training.QUICK)).isZero();
    }

    @Test
    void theGetTrainingSucceedsTwice() throws Exception {
        assertThat(AotTraining.run(1, AotTraining.Training.GET)).isZero();
    }
}

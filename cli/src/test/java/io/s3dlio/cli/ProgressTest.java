package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void drawsObjectsBytesRateAndEtaThenClearsTheLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
        Progress progress = Progress.start("get", stream, false);
        progress.expect(10, OptionalLong.of(10_000_000));
        progress.add(3, 3_000_000);
        progress.draw();
        String line = err.toString(StandardCharsets.UTF_8);
        assertThat(line).startsWith("\rget: 3/10 objects, 3.0 MB, ").contains(" MB/s, ", " objects/s", ", ETA ");
        progress.close();
        progress.close();
        assertThat(progress.objects()).isEqualTo(3);
        assertThat(progress.bytes()).isEqualTo(3_000_000);
    }

    @Test
    void withoutDisplayNothingIsWritten() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Progress progress = Progress.start("put", new PrintStream(err, true, StandardCharsets.UTF_8), false)) {
            progress.add(1, 5);
        }
        assertThat(err.size()).isZero();
    }
}

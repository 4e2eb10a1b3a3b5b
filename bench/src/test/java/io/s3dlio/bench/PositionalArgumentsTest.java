package io.s3dlio.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PositionalArgumentsTest {
    private record Arguments(int count, long bytes, double rate, List<Integer> workers, List<String> stores, String mode) {
        Arguments {
            if (count < 0) {
                throw new IllegalArgumentException("count < 0");
            }
        }
    }

    private static final Arguments DEFAULTS = new Arguments(10, 1L << 40, 0.5, List.of(1, 2), List.of("file"), "none");

    @Test
    void noArgumentsKeepTheDefaults() {
        assertThat(PositionalArguments.parse(new String[0], DEFAULTS)).isEqualTo(DEFAULTS);
    }

    @Test
    void argumentsSetTheComponentsInOrder() {
        assertThat(PositionalArguments.parse(new String[] {"7", "5000000000", "2.5", "1, 4,16", "file,s3"}, DEFAULTS))
                .isEqualTo(new Arguments(7, 5_000_000_000L, 2.5, List.of(1, 4, 16), List.of("file", "s3"), "none"));
    }

    @Test
    void badOrExtraArgumentsNameTheComponentAndTheUsage() {
        assertThatThrownBy(() -> PositionalArguments.parse(new String[] {"7", "many"}, DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument bytes 'many' does not parse as long; usage: [count] [bytes] [rate] [workers] [stores] [mode]");
        assertThatThrownBy(() -> PositionalArguments.parse(new String[] {"1", "2", "3", "4", "5", "6", "7"}, DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("7 arguments, at most 6 expected; usage: [count]");
    }

    @Test
    void theRecordsOwnValidationStillRuns() {
        assertThatThrownBy(() -> PositionalArguments.parse(new String[] {"-1"}, DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count < 0");
    }
}

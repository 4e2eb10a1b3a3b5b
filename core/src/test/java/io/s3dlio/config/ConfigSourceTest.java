package io.s3dlio.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSourceTest {

    @Test
    void overridesBeatEnvironment() {
        ConfigSource source = ConfigSource.of(Map.of("A", "env", "B", "env-only"))
                .withOverrides(Map.of("A", "flag"));
        assertThat(source.get("A")).hasValue("flag");
        assertThat(source.get("B")).hasValue("env-only");
        assertThat(source.get("C")).isEmpty();
        assertThat(source.first("C", "B", "A")).hasValue("env-only");
    }

    @Test
    void blankCountsAsUnset() {
        assertThat(ConfigSource.of(Map.of("A", "  ")).get("A")).isEmpty();
    }

    @Test
    void typedValues() {
        ConfigSource source = ConfigSource.of(Map.of("N", "42", "SIZE", "16MiB", "DEC", "16MB", "ON", "yes",
                "OFF", "0", "D1", "30", "D2", "250ms", "D3", "5m", "F", "2.5"));
        assertThat(source.longValue("N")).hasValue(42);
        assertThat(source.intValue("N")).hasValue(42);
        assertThat(source.dataSize("SIZE")).hasValue(16L << 20);
        assertThat(source.dataSize("DEC")).hasValue(16_000_000);
        assertThat(source.booleanValue("ON")).hasValue(true);
        assertThat(source.booleanValue("OFF")).hasValue(false);
        assertThat(source.duration("D1")).hasValue(Duration.ofSeconds(30));
        assertThat(source.duration("D2")).hasValue(Duration.ofMillis(250));
        assertThat(source.duration("D3")).hasValue(Duration.ofMinutes(5));
        assertThat(source.doubleValue("F")).hasValue(2.5);
    }

    @Test
    void malformedValuesNameTheVariable() {
        ConfigSource source = ConfigSource.of(Map.of("N", "many", "SIZE", "12 parsecs", "B", "maybe"));
        assertThatThrownBy(() -> source.longValue("N")).hasMessageContaining("N='many'");
        assertThatThrownBy(() -> source.dataSize("SIZE")).hasMessageContaining("SIZE='12 parsecs'");
        assertThatThrownBy(() -> source.booleanValue("B")).hasMessageContaining("B='maybe'");
    }

    @Test
    void dataSizeFormatting() {
        assertThat(DataSize.format(512)).isEqualTo("512 B");
        assertThat(DataSize.format(16L << 20)).isEqualTo("16.0 MiB");
        assertThat(DataSize.parseBytes("1.5GiB")).isEqualTo(3L << 29);
    }
}

package io.s3dlio.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnumNamesTest {
    private enum Layout { FLAT, ROUND_ROBIN, BINARY }

    private enum Single { ONLY }

    @Test
    void writesTheNameInLowerCase() {
        assertThat(EnumNames.name(Layout.ROUND_ROBIN)).isEqualTo("round_robin");
    }

    @Test
    void readsTheNameInAnyCaseWithSpacesAndHyphens() {
        assertThat(EnumNames.parse(Layout.class, "layout", "flat")).isEqualTo(Layout.FLAT);
        assertThat(EnumNames.parse(Layout.class, "layout", " Round_Robin ")).isEqualTo(Layout.ROUND_ROBIN);
        assertThat(EnumNames.parse(Layout.class, "layout", "round-robin")).isEqualTo(Layout.ROUND_ROBIN);
        assertThat(EnumNames.parse(Layout.class, "layout", "BINARY")).isEqualTo(Layout.BINARY);
    }

    @Test
    void readsAnAlias() {
        assertThat(EnumNames.parse(Layout.class, "layout", "RoundRobin", Map.of("roundrobin", Layout.ROUND_ROBIN)))
                .isEqualTo(Layout.ROUND_ROBIN);
    }

    @Test
    void refusesOtherTextNamingItAndEveryAcceptedName() {
        assertThatThrownBy(() -> EnumNames.parse(Layout.class, "shard layout", "spiral"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown shard layout 'spiral'; expected flat, round_robin or binary");
        assertThatThrownBy(() -> EnumNames.parse(Single.class, "mode", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown mode ''; expected only");
        assertThatThrownBy(() -> EnumNames.parse(Layout.class, "layout", null))
                .isInstanceOf(NullPointerException.class);
    }
}

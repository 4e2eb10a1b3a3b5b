package io.s3dlio.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
    @TempDir
    Path dir;

    @Test
    void keyListSkipsBlankAndCommentLinesAndNamesTheBadLine() throws IOException {
        Path file = dir.resolve("keys");
        Files.writeString(file, "# header\n\nmem://b/one\n   \n  mem://b/two  \n#mem://b/commented\n",
                StandardCharsets.UTF_8);
        assertThat(Dataset.fromKeyList(file).entries()).extracting(DatasetEntry::location)
                .containsExactly(Location.parse("mem://b/one"), Location.parse("mem://b/two"));

        Files.writeString(file, "mem://b/one\nnot a uri\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Dataset.fromKeyList(file)).hasMessageContaining(file.toString())
                .hasMessageContaining("line 2").hasMessageContaining("not a uri");
        assertThatThrownBy(() -> Dataset.fromKeyList(dir.resolve("absent"))).isInstanceOf(IOException.class)
                .hasMessageContaining("absent");
    }

    @Test
    void prefixesAreNotItems() {
        assertThatThrownBy(() -> Dataset.fromUris(List.of("mem://b/dir/"))).hasMessageContaining("mem://b/dir/");
    }
}

package io.s3dlio.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocationTest {

    @Test
    void parsesEachScheme() {
        assertThat(Location.parse("s3://bucket/a/b.bin")).isEqualTo(new Location("s3", "", "bucket", "a/b.bin"));
        assertThat(Location.parse("gs://bucket/k")).isEqualTo(new Location("gs", "", "bucket", "k"));
        assertThat(Location.parse("gcs://bucket/k")).isEqualTo(new Location("gs", "", "bucket", "k"));
        assertThat(Location.parse("az://acct/cont/dir/k")).isEqualTo(new Location("az", "acct", "cont", "dir/k"));
        assertThat(Location.parse("https://acct.blob.core.windows.net/cont/dir/k"))
                .isEqualTo(new Location("az", "acct", "cont", "dir/k"));
        assertThat(Location.parse("file:///tmp/data/x")).isEqualTo(new Location("file", "", "", "tmp/data/x"));
        assertThat(Location.parse("direct:///mnt/nvme/x")).isEqualTo(new Location("direct", "", "", "mnt/nvme/x"));
        assertThat(Location.parse("mem://b/k")).isEqualTo(new Location("mem", "", "b", "k"));
    }

    @Test
    void schemeRootsAndContainerRoots() {
        assertThat(Location.parse("s3://")).isEqualTo(new Location("s3", "", "", ""));
        assertThat(Location.parse("s3://bucket")).isEqualTo(new Location("s3", "", "bucket", ""));
        assertThat(Location.parse("s3://bucket/").key()).isEmpty();
        assertThat(Location.parse("az://acct")).isEqualTo(new Location("az", "acct", "", ""));
        assertThat(Location.parse("az://acct/cont")).isEqualTo(new Location("az", "acct", "cont", ""));
        assertThat(Location.parse("S3://Bucket/Key").scheme()).isEqualTo("s3");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "s3://bucket/with space/and ünïcödé/データ",
        "s3://bucket/percent%20stays%2Fencoded",
        "s3://bucket/plus+sign",
        "s3://bucket/hash#fragment?query=1",
        "s3://bucket/double//slash",
        "az://acct/cont/a b/%41",
        "gs://bucket/trailing/",
        "file:///tmp/sp ace/%25/#?",
        "direct:///data/ü",
        "mem://b/k?x#y",
    })
    void keysRoundTripUnchanged(String text) {
        Location location = Location.parse(text);
        assertThat(location.toString()).isEqualTo(text);
        assertThat(Location.parse(location.toString())).isEqualTo(location);
    }

    @Test
    void keyIsTakenVerbatim() {
        assertThat(Location.parse("s3://b/a%20b+c#d?e").key()).isEqualTo("a%20b+c#d?e");
    }

    @Test
    void keepsTheTextAsTypedAndComparesByParts() {
        Location typed = Location.parse("gcs://b/x");
        assertThat(typed.toString()).as("messages name what the user typed").isEqualTo("gcs://b/x");
        assertThat(typed.canonical()).isEqualTo("gs://b/x");
        assertThat(typed).isEqualTo(Location.parse("gs://b/x")).hasSameHashCodeAs(Location.parse("gs://b/x"));
        Location url = Location.parse("https://acct.blob.core.windows.net/c/k");
        assertThat(url.toString()).isEqualTo("https://acct.blob.core.windows.net/c/k");
        assertThat(url.canonical()).isEqualTo("az://acct/c/k");
        assertThat(url).isEqualTo(new Location("az", "acct", "c", "k"));
        // Derived locations keep the typed scheme, account and container.
        assertThat(url.withKey("other").toString()).isEqualTo("https://acct.blob.core.windows.net/c/other");
        assertThat(Location.parse("gcs://b").resolve("y").toString()).isEqualTo("gcs://b/y");
        assertThat(Location.parse("S3://b/dir/").resolve("f").toString()).isEqualTo("S3://b/dir/f");
        assertThat(new Location("s3", "", "b", "k")).hasToString("s3://b/k");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bucket/key", "/tmp/x", "ftp://host/x", "s3:/bucket/key", "file://relative/path",
        "https://example.com/c/k", "s3:///key-without-bucket", "az:///c/k", "s3://bad bucket/k", ""})
    void invalidFormsQuoteTheInputAndSayWhatWasExpected(String text) {
        assertThatThrownBy(() -> Location.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("expected");
    }

    @Test
    void objectsAndPrefixes() {
        assertThat(Location.parse("s3://b/k").isObject()).isTrue();
        assertThat(Location.parse("s3://b/k/").isObject()).isFalse();
        assertThat(Location.parse("s3://b").isObject()).isFalse();
        assertThat(Location.parse("s3://b/dir").asPrefix().key()).isEqualTo("dir/");
        assertThat(Location.parse("s3://b/dir/").resolve("x").key()).isEqualTo("dir/x");
        assertThat(Location.parse("s3://b/dir").resolve("x").key()).isEqualTo("dir/x");
        assertThat(Location.parse("s3://b/dir/sub/file.bin").name()).isEqualTo("file.bin");
    }

    @Test
    void localPaths() {
        Location location = Location.ofLocalPath(Path.of("/tmp/a/../b/c"));
        assertThat(location.toString()).isEqualTo("file:///tmp/b/c");
        assertThat(location.localPath()).isEqualTo(Path.of("/tmp/b/c"));
        assertThat(location.isLocal()).isTrue();
        assertThatThrownBy(() -> Location.parse("s3://b/k").localPath()).isInstanceOf(IllegalStateException.class);
    }
}

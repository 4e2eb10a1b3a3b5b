package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** How failures map onto exit codes and one-line messages (the codes that the in-process tests cannot provoke). */
class ExitCodesTest {
    private static final Location OBJECT = Location.parse("s3://bucket/some key");

    @Test
    void mapsEachKindOfFailure() {
        assertThat(ExitCodes.of(new ObjectNotFoundException(OBJECT))).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ExitCodes.of(new ContainerNotFoundException(OBJECT, null))).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ExitCodes.of(new NoSuchFileException("/data/x"))).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ExitCodes.of(new AccessDeniedException(OBJECT, AccessDeniedException.Reason.INVALID_CREDENTIALS,
                "credentials rejected", null))).isEqualTo(ExitCodes.ACCESS_DENIED);
        assertThat(ExitCodes.of(new java.nio.file.AccessDeniedException("/root/x"))).isEqualTo(ExitCodes.ACCESS_DENIED);
        assertThat(ExitCodes.of(new IllegalArgumentException("invalid location"))).isEqualTo(ExitCodes.USAGE);
        assertThat(ExitCodes.of(new StorageException(OBJECT, "503 slow down"))).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(ExitCodes.of(new IOException("disk full"))).isEqualTo(ExitCodes.IO_ERROR);
    }

    @Test
    void looksThroughWrappers() {
        UncheckedIOException wrapped = new UncheckedIOException(new AccessDeniedException(OBJECT,
                AccessDeniedException.Reason.PERMISSION, "listing denied", null));
        assertThat(ExitCodes.of(wrapped)).isEqualTo(ExitCodes.ACCESS_DENIED);
        assertThat(ExitCodes.describe(wrapped)).isEqualTo("s3://bucket/some key: listing denied");
    }

    @Test
    void describesInOneLineNamingThePath() {
        assertThat(ExitCodes.describe(new NoSuchFileException("/data/x"))).isEqualTo("no such file or directory: /data/x");
        assertThat(ExitCodes.describe(new IOException("line one\nline two"))).doesNotContain("\n");
        assertThat(ExitCodes.describeFor(OBJECT.toString(), new ObjectNotFoundException(OBJECT))).isEqualTo("object not found");
    }
}

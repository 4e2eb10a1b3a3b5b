package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.utils.DateUtils;

/** The lean path's own parse of {@code Last-Modified}: the SDK's result, or null where the SDK must decide. */
class LeanRequestsDateTest {
    @Test
    void imfFixdatesParseAsTheSdkParsesThem() {
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L)); // up to 9999-12-31
            String text = DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
            if (text.length() != 29) {
                continue; // one-digit days: not the fixed form, left to the SDK
            }
            assertThat(LeanRequests.imfFixdate(text)).as(text).isEqualTo(DateUtils.parseRfc822Date(text)).isEqualTo(at);
        }
        assertThat(LeanRequests.imfFixdate("Thu, 03 Dec 2026 03:30:00 GMT")).isEqualTo(Instant.parse("2026-12-03T03:30:00Z"));
        assertThat(LeanRequests.imfFixdate("Thu, 29 Feb 2024 23:59:59 GMT")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
    }

    @Test
    void anythingElseIsLeftToTheSdk() {
        assertThat(LeanRequests.imfFixdate("Wed, 03 Dec 2026 03:30:00 GMT")).as("wrong weekday").isNull();
        assertThat(LeanRequests.imfFixdate("Sat, 31 Apr 2026 03:30:00 GMT")).as("no such day").isNull();
        assertThat(LeanRequests.imfFixdate("Thu, 03 Dec 2026 24:00:00 GMT")).isNull();
        assertThat(LeanRequests.imfFixdate("Thu, 03 Dek 2026 03:30:00 GMT")).isNull();
        assertThat(LeanRequests.imfFixdate("Thu, 03 Dec 2026 03:30:00 UTC")).isNull();
        assertThat(LeanRequests.imfFixdate("Thu, 3 Dec 2026 03:30:00 GMT")).isNull();
        assertThat(LeanRequests.imfFixdate("2026-12-03T03:30:00Z")).isNull();
        assertThat(LeanRequests.imfFixdate("Thu, 0x Dec 2026 03:30:00 GMT")).isNull();
    }
}

package io.s3dlio.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import org.junit.jupiter.api.Test;

/** delete and deletePrefix. */
public abstract class DeleteContract extends ContractSupport {

    @Test
    void deleteRemovesTheObject() throws Exception {
        Location location = at("doomed");
        putRandom(location, 10, 1);
        store().delete(location);
        assertThat(store().exists(location)).isFalse();
    }

    @Test
    void deletingWhatIsAbsentIsNotAnError() throws Exception {
        store().delete(at("never-existed"));
        store().delete(at("deep/never/existed"));
    }

    @Test
    protected void deletePrefixRemovesOnlyWhatIsUnderIt() throws Exception {
        for (int i = 0; i < 25; i++) {
            putRandom(at("batch/item-" + i), 5, i);
        }
        putRandom(at("batch-sibling"), 5, 99);
        putRandom(at("keep/me"), 5, 98);
        DeleteResult result = store().deletePrefix(at("batch/"));
        assertThat(result.failures()).isEmpty();
        assertThat(result.deleted()).isEqualTo(25);
        try (var left = store().list(prefix, ListMode.RECURSIVE)) {
            assertThat(left.map(entry -> entry.location().key().substring(prefix.key().length())).sorted().toList())
                    .containsExactly("batch-sibling", "keep/me");
        }
    }

    @Test
    void deletePrefixOfNothingDeletesNothing() throws Exception {
        DeleteResult result = store().deletePrefix(at("empty-area/"));
        assertThat(result.deleted()).isZero();
        assertThat(result.isComplete()).isTrue();
    }
}

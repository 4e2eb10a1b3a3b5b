package io.s3dlio.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** delete, deletePrefix and deleteAll. */
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

    /** An explicit list: absent objects and repeats are fine; nothing else under the prefix is touched. */
    @Test
    protected void deleteAllRemovesExactlyTheListedObjects() throws Exception {
        List<Location> doomed = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            doomed.add(at("all/item-" + i));
            putRandom(doomed.getLast(), 5, i);
        }
        putRandom(at("all/keep"), 5, 99);
        List<Location> listed = new ArrayList<>(doomed);
        listed.add(at("all/never-there"));
        listed.add(doomed.getFirst());
        DeleteResult result = store().deleteAll(listed);
        assertThat(result.failures()).isEmpty();
        assertThat(result.deleted()).as("12 objects and the absent one, the repeat once").isEqualTo(13);
        try (var left = store().list(prefix, ListMode.RECURSIVE)) {
            assertThat(left.map(entry -> entry.location().key().substring(prefix.key().length())).toList())
                    .containsExactly("all/keep");
        }
    }

    @Test
    void deleteAllOfNothingDeletesNothing() throws Exception {
        DeleteResult result = store().deleteAll(List.of());
        assertThat(result.deleted()).isZero();
        assertThat(result.isComplete()).isTrue();
    }

    @Test
    void deleteAllRefusesAPrefixBeforeDeletingAnything() throws Exception {
        Location object = at("refused/object");
        putRandom(object, 5, 1);
        assertThatThrownBy(() -> store().deleteAll(List.of(object, at("refused/"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(at("refused/").toString());
        assertThat(store().exists(object)).isTrue();
    }

    /**
     * Once started, deleteAll never throws: an object in a missing container is reported (or, where the backend
     * cannot tell it apart from an absent object, counted as deleted), and the rest of the list is still deleted.
     * File stores have no containers.
     */
    @Test
    protected void deleteAllReportsAMissingContainerAsData() throws Exception {
        Location object = at("across/object");
        putRandom(object, 5, 2);
        Location container = environment().newContainerLocation();
        if (container.isLocal()) {
            assertThat(store().deleteAll(List.of(object)).deleted()).isEqualTo(1);
            assertThat(store().exists(object)).isFalse();
            return;
        }
        Location missing = container.withKey("nothing/here");
        DeleteResult result = store().deleteAll(List.of(missing, object));
        assertThat(store().exists(object)).isFalse();
        assertThat(result.deleted() + result.failures().size()).isEqualTo(2);
        assertThat(result.failures()).allSatisfy(failure -> {
            assertThat(failure.location()).isEqualTo(missing);
            assertThat(failure.cause()).isNotBlank();
        });
    }
}

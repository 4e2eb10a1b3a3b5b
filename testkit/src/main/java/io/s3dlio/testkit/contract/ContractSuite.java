package io.s3dlio.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Capability;
import io.s3dlio.testkit.StoreEnvironment;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The middle tier of the contract kit: every contract class, nested, run against one environment. A backend's
 * base class extends this and fixes what its store must claim ({@link #expectedCapabilities()}, checked
 * exactly, so a claim can be neither added nor dropped silently); each environment class extends that base
 * and says only how to reach the environment. An environment whose fake has gaps writes its own nested
 * classes instead (see the GCS fake).
 */
public abstract class ContractSuite {

    /** The backend under test. */
    protected abstract StoreEnvironment environment();

    /** Exactly the capabilities this backend's store claims in this environment. */
    protected abstract Set<Capability> expectedCapabilities();

    /** A streamed object large enough to go through more than one part on this backend. */
    protected int largeObjectSize() {
        return StreamingWriterContract.DEFAULT_LARGE_OBJECT_SIZE;
    }

    @Test
    void claimsExactlyTheExpectedCapabilities() {
        assertThat(environment().store().capabilities()).as(environment().description())
                .containsExactlyInAnyOrderElementsOf(expectedCapabilities());
    }

    @Nested
    class Read extends ReadContract {
        @Override
        protected StoreEnvironment environment() {
            return ContractSuite.this.environment();
        }
    }

    @Nested
    class RangeRead extends RangeReadContract {
        @Override
        protected StoreEnvironment environment() {
            return ContractSuite.this.environment();
        }
    }

    @Nested
    class Write extends WriteContract {
        @Override
        protected StoreEnvironment environment() {
            return ContractSuite.this.environment();
        }
    }

    @Nested
    class StreamingWriter extends StreamingWriterContract {
        @Override
        protected StoreEnvironment environment() {
            return ContractSuite.this.environment();
        }

        @Override
        protected int largeObjectSize() {
            return ContractSuite.this.largeObjectSize();
        }
    }

    @Nested
    class List extends ListContract {
        @Override
        protected StoreEnvironment environment() {
            return ContractSuite.this.environment();
        }
    }

    @Nested
    class Delete extends DeleteContract {
        @Override
        protected StoreEnvironment environment() {
            return ContractSuite.this.environment();
        }
    }

    @Nested
    class CopyRename extends CopyRenameContract {
        @Override
        protected StoreEnvironment environment() {
            return ContractSuite.this.environment();
        }
    }

    @Nested
    class Containers extends ContainerContract {
        @Override
        protected StoreEnvironment environment() {
            return ContractSuite.this.environment();
        }
    }
}

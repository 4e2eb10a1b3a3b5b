package io.s3dlio.s3;

import io.s3dlio.api.Capability;
import io.s3dlio.testkit.contract.ContractSuite;
import java.util.EnumSet;
import java.util.Set;

/**
 * The contract kit for s3://: fixes what the S3 store claims, less what a server cannot honour
 * ({@link #serverLacks()}), and sizes streamed objects past one part. One small class per server extends it.
 */
abstract class S3ContractSuite extends ContractSuite {

    /** Capabilities the store has but the server under test cannot honour (the environment withholds them). */
    protected Set<Capability> serverLacks() {
        return Set.of();
    }

    /** Whether the environment runs with S3DLIO_S3_CHECKSUM=when_required (then no stored CRC32C is asked for). */
    protected boolean checksumsOff() {
        return false;
    }

    @Override
    protected final Set<Capability> expectedCapabilities() {
        Set<Capability> claimed = EnumSet.of(Capability.SERVER_SIDE_COPY, Capability.BULK_DELETE,
                Capability.MULTIPART_UPLOAD, Capability.USER_METADATA, Capability.KEY_AND_PREFIX_COEXIST,
                Capability.CONDITIONAL_WRITE);
        if (!checksumsOff()) {
            claimed.add(Capability.FULL_OBJECT_CRC32C); // with AWS_RESPONSE_CHECKSUM_VALIDATION=when_supported
            claimed.add(Capability.FULL_OBJECT_MD5); // and S3DLIO_S3_VERIFY_CHUNKED_MD5=true, the default
        }
        claimed.removeAll(serverLacks());
        return claimed;
    }

    /** Past one 16 MiB part, so the contract's streams go through a multipart upload. */
    @Override
    protected int largeObjectSize() {
        return 2 * 8 * 1024 * 1024 + 1;
    }
}

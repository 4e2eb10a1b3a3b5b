package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.config.ConfigSource;
import java.util.List;
import java.util.OptionalInt;
import java.util.logging.Logger;

/**
 * The default for {@code -j/--jobs}: S3DLIO_CLI_JOBS when set, otherwise 32 for network schemes and
 * 4 x cores for local ones (file, direct, mem). The adaptive-tuning policy will replace this rule.
 */
final class Jobs {
    static final String VARIABLE = "S3DLIO_CLI_JOBS";
    static final int NETWORK_DEFAULT = 32;
    static final int MAX = 4096;
    private static final Logger LOG = Logger.getLogger("io.s3dlio.cli");

    private Jobs() {}

    static int effective(OptionalInt flag, ConfigSource config, List<Location> locations) {
        int jobs;
        String from;
        if (flag.isPresent()) {
            jobs = flag.getAsInt();
            from = "--jobs";
        } else if (config.intValue(VARIABLE).isPresent()) {
            jobs = config.intValue(VARIABLE).getAsInt();
            from = VARIABLE;
        } else {
            boolean network = locations.stream().anyMatch(l -> !l.isLocal() && !l.scheme().equals("mem"));
            jobs = network ? NETWORK_DEFAULT : 4 * Runtime.getRuntime().availableProcessors();
            from = network ? "default for network stores" : "default for local stores (4 x cores)";
        }
        if (jobs < 1 || jobs > MAX) {
            throw new IllegalArgumentException(from + ": jobs must be 1.." + MAX + ": " + jobs);
        }
        LOG.fine("jobs = " + jobs + " (" + from + ")");
        return jobs;
    }
}

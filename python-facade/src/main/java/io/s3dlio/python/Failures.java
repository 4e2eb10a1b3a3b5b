package io.s3dlio.python;

import java.util.List;

/**
 * Outcome of a bulk operation for Python: how many items succeeded and each failure (URI or path, cause).
 *
 * @param done items completed
 * @param failedItems each item that failed
 * @param causes the cause of each, same order
 */
public record Failures(long done, List<String> failedItems, List<String> causes) {
    public Failures {
        failedItems = List.copyOf(failedItems);
        causes = List.copyOf(causes);
    }
}

package io.s3dlio.selftest.internal;

/** A public type of a package that is not listed: free to change. */
public final class Helper {
    private Helper() {}

    /** Twice the value. */
    public static int twice(int value) {
        return 2 * value;
    }
}

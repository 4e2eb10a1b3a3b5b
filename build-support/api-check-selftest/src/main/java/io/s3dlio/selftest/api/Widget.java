package io.s3dlio.selftest.api;

/** A public type of a listed package: its members are checked. */
public class Widget {
    private int count;

    /** The number of parts named {@code name}. */
    public int parts(int name) {
        return count + name;
    }

    /** The count. */
    public int count() {
        return count;
    }

    /** Removes everything. */
    public void clear() {
        count = 0;
    }
    // MARKER: the self-test inserts members here
}

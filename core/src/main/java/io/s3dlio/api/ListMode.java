package io.s3dlio.api;

/** How deep a listing goes. */
public enum ListMode {
    /** Every object whose key starts with the prefix, at any depth. Never returns prefix entries. */
    RECURSIVE,
    /** Objects directly under the prefix plus one {@link ListEntry.PrefixEntry} per "subdirectory" (delimiter '/'). */
    ONE_LEVEL
}

package org.vmlat.store;

/** The store cannot be used: not a vmlat store, a newer schema, or a database error. */
public class StoreException extends RuntimeException {
    private final boolean diskFull;

    public StoreException(String message) {
        this(message, null, false);
    }

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** @param diskFull whether the store failed because its disk (or file system) is full */
    public StoreException(String message, Throwable cause, boolean diskFull) {
        super(message, cause);
        this.diskFull = diskFull;
    }

    /** Whether the store's disk is full: what was to be written can be kept elsewhere until there is room. */
    public boolean diskFull() {
        return diskFull;
    }
}

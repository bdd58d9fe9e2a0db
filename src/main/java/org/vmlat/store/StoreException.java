package org.vmlat.store;

/** The store cannot be used: not a vmlat store, a newer schema, or a database error. */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.vmlat.store;

/** A worker wrote to a scenario whose lease it no longer holds: another worker measures it now. */
public final class LeaseLostException extends StoreException {
    public LeaseLostException(String message) {
        super(message);
    }
}

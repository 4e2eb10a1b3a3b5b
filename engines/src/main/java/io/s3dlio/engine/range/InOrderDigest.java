package io.s3dlio.engine.range;

import static java.util.Objects.requireNonNull;

import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A digest that must see bytes in order (MD5: unlike CRC32C it cannot be combined from pieces) fed by chunks
 * that land out of order on concurrent threads. Each chunk is hashed as soon as every earlier byte is: the
 * thread whose chunk completes the prefix hashes it and then every later chunk already waiting, one after the
 * other, while the others keep landing. A chunk is held (not copied) only until it is hashed, so memory stays
 * the engine's in-flight window.
 *
 * <p>A caller whose chunk lives in a buffer it must give back (a pooled chunk buffer) waits with
 * {@link #awaitHashed} before giving it back. That cannot deadlock as long as every chunk before one that
 * waits has been dispatched with its own slot (the engine claims offsets only after taking a slot): the
 * earliest unhashed chunk is then always being read, and its landing unblocks the rest.
 *
 * <p>{@link #stop()} ends the work (the store keeps a CRC32C after all, or the read failed): waiting callers
 * return, held chunks are dropped, and {@link #finish()} yields nothing.
 */
final class InOrderDigest {
    private final MessageDigest digest;
    private final long end;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    /** Landed, not yet hashed, by offset: views of the caller's buffers, held only until hashed. */
    private final TreeMap<Long, ByteBuffer> waiting = new TreeMap<>();
    /** Bytes [start, hashed) are in the digest. */
    private long hashed;
    /** Whether a thread is hashing: the only one to touch {@link #digest} until it clears this. */
    private boolean hashing;
    private boolean stopped;

    /** Expects the bytes {@code [start, end)}, in chunks that together cover them exactly once. */
    InOrderDigest(MessageDigest digest, long start, long end) {
        this.digest = requireNonNull(digest, "digest is null");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
        }
        this.hashed = start;
        this.end = end;
    }

    /** An MD5 of {@code [start, end)}. */
    static InOrderDigest md5(long start, long end) {
        try {
            return new InOrderDigest(MessageDigest.getInstance("MD5"), start, end);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5", e);
        }
    }

    /**
     * Hands over a chunk that landed at {@code offset}. When it is next in order it is hashed now, on this
     * thread, with every later chunk already waiting; otherwise it waits for its predecessors. Its bytes must
     * not change until they are hashed ({@link #awaitHashed}) or the digest has stopped.
     */
    void landed(long offset, ByteBuffer chunk) {
        lock.lock();
        try {
            if (stopped || offset < hashed) {
                return;
            }
            waiting.put(offset, chunk);
            if (hashing || offset != hashed) {
                return;
            }
            hashing = true;
        } finally {
            lock.unlock();
        }
        hashWaiting();
    }

    /** Hashes the waiting chunks that continue the prefix, one at a time, outside the lock. */
    private void hashWaiting() {
        ByteBuffer next = null;
        try {
            while (true) {
                lock.lock();
                try {
                    if (next != null) {
                        hashed += next.remaining();
                        advanced.signalAll();
                    }
                    Map.Entry<Long, ByteBuffer> first = waiting.firstEntry();
                    if (stopped || first == null || first.getKey() != hashed) {
                        hashing = false;
                        advanced.signalAll();
                        return;
                    }
                    waiting.pollFirstEntry();
                    next = first.getValue();
                } finally {
                    lock.unlock();
                }
                digest.update(next.duplicate());
            }
        } catch (RuntimeException | Error e) {
            stop(); // no digest without every byte; never leave callers waiting on a dead thread
            throw e;
        }
    }

    /**
     * Waits until every byte before {@code upTo} is hashed, or the digest stopped: after this returns the
     * buffer of a chunk ending at {@code upTo} may be reused. An interrupt stops the digest (the read is failing).
     */
    void awaitHashed(long upTo) throws InterruptedIOException {
        lock.lock();
        try {
            while (!stopped && hashed < upTo) {
                advanced.await();
            }
        } catch (InterruptedException e) {
            throw interrupted("waiting for earlier chunks to be hashed");
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #stop()} was called (or hashing failed): no digest will come. */
    boolean stopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    /** No more hashing: waiting callers return, held chunks are dropped. Idempotent. */
    void stop() {
        lock.lock();
        try {
            stopLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the read is failing, so the digest stops; the interrupt is kept for the caller. */
    private InterruptedIOException interrupted(String doing) {
        Thread.currentThread().interrupt();
        stopLocked();
        return new InterruptedIOException("interrupted while " + doing);
    }

    private void stopLocked() {
        stopped = true;
        waiting.clear();
        advanced.signalAll();
    }

    /**
     * The digest of {@code [start, end)} once every chunk has landed (waits for a hashing pass still running);
     * empty when stopped.
     *
     * @throws IllegalStateException when chunks are missing (the caller's bug: every chunk must land first)
     */
    Optional<byte[]> finish() throws InterruptedIOException {
        lock.lock();
        try {
            while (!stopped && hashing) {
                advanced.await();
            }
            if (stopped) {
                return Optional.empty();
            }
            if (hashed != end) {
                throw new IllegalStateException("chunks missing: hashed up to byte " + hashed + " of " + end);
            }
            stopped = true; // the digest is read once
            return Optional.of(digest.digest());
        } catch (InterruptedException e) {
            throw interrupted("finishing the digest");
        } finally {
            lock.unlock();
        }
    }
}

package io.costguard.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body without a thread waiting on the client: chunks are taken as they arrive, the whole body must
 * be in before a deadline, and a body over the limit is refused as soon as it is known to be too large.
 */
public final class BodyReader implements Runnable {

    /** How reading a body ended. */
    public sealed interface Outcome permits Body, TooLarge, TimedOut, Failed {}

    public record Body(byte[] bytes) implements Outcome {}

    public record TooLarge(long limit) implements Outcome {}

    /** The client stopped sending ({@code reason} says how) before the body was in. */
    public record TimedOut(String reason) implements Outcome {}

    public record Failed(String reason) implements Outcome {}

    private final Request request;
    private final int maxBody;
    private final Consumer<Outcome> then;
    private final AtomicBoolean done = new AtomicBoolean();
    private final ByteArrayOutputStream out;
    private volatile Scheduler.Task timer;

    private BodyReader(Request request, int maxBody, Consumer<Outcome> then) {
        this.request = request;
        this.maxBody = maxBody;
        this.then = then;
        long declared = request.getLength();
        this.out = new ByteArrayOutputStream((int) Math.max(256, Math.min(declared, 64 * 1024)));
    }

    /** Reads the body of {@code request}; {@code then} is called exactly once, possibly on another thread. */
    public static void read(Request request, int maxBody, Duration deadline, Consumer<Outcome> then) {
        BodyReader reader = new BodyReader(request, maxBody, then);
        if (request.getLength() > maxBody) {
            reader.finish(new TooLarge(maxBody));
            return;
        }
        reader.timer = request.getComponents()
                .getScheduler()
                .schedule(
                        () -> reader.finish(
                                new TimedOut("the body was not sent within " + deadline.toMillis() + " ms")),
                        deadline.toMillis(),
                        TimeUnit.MILLISECONDS);
        reader.run();
    }

    @Override
    public void run() {
        while (!done.get()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                Throwable failure = chunk.getFailure();
                finish(
                        failure instanceof TimeoutException
                                ? new TimedOut("no byte of the body arrived for the idle timeout")
                                : new Failed(String.valueOf(failure.getMessage())));
                return;
            }
            ByteBuffer buffer = chunk.getByteBuffer();
            int n = buffer.remaining();
            if (out.size() + (long) n > maxBody) {
                chunk.release();
                finish(new TooLarge(maxBody));
                return;
            }
            if (n > 0) {
                byte[] bytes = new byte[n];
                buffer.get(bytes);
                out.write(bytes, 0, n);
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                finish(new Body(out.toByteArray()));
                return;
            }
        }
    }

    private void finish(Outcome outcome) {
        if (done.compareAndSet(false, true)) {
            Scheduler.Task t = timer;
            if (t != null) {
                t.cancel();
            }
            then.accept(outcome);
        }
    }
}

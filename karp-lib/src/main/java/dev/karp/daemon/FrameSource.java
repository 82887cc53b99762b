package dev.karp.daemon;

import dev.karp.link.LinkException;
import dev.karp.link.ReceivedFrame;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a group's loop gets its next frame: {@link dev.karp.link.Link#receive} when the group has the link to
 * itself, or an {@link InterfaceLoop} that hands the frames of other vhids on the same link to their groups.
 */
@FunctionalInterface
interface FrameSource {

    /** Waits at most {@code timeout} for a frame of this group, as {@link dev.karp.link.Link#receive} does. */
    Optional<ReceivedFrame> receive(Duration timeout) throws LinkException;
}

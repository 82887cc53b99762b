package dev.karp;

import java.util.Objects;

/**
 * A {@link VipFailover.Builder} property is missing or invalid. Thrown by {@link VipFailover.Builder#build()}
 * before anything touches the host. The message starts with the property's name, e.g.
 * {@code vhid 300 is out of range (expected: 1..255)}, so a program can map it onto its own option names.
 */
public final class FailoverConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The builder property at fault. */
    private final String property;

    /**
     * @param property the builder property at fault, e.g. {@code vhid}
     * @param message  one line starting with the property's name
     */
    public FailoverConfigException(String property, String message) {
        super(message);
        this.property = Objects.requireNonNull(property, "property");
    }

    /**
     * The builder property at fault, as its method is named: {@code interfaceName}, {@code sourceAddress},
     * {@code vhid}, {@code password}, {@code vip}, {@code advbase}, {@code advskew}, {@code deadratio},
     * {@code healthCheck}, {@code garpCount}, {@code multicastGroup}, {@code upscript}, {@code downscript},
     * {@code realtimePriority}.
     *
     * @return the property's name
     */
    public String property() {
        return property;
    }
}

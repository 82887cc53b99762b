/**
 * {@code karp run}'s settings: flags, environment, the YAML file ({@code YamlConfigFile}, the only
 * class here that needs jackson-dataformat-yaml) and UCarp's command lines, merged and validated into
 * one {@code KarpConfig}.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.config;

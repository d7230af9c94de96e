package io.weft.controller;

/**
 * A subcommand of {@code weft} that another module contributes (a picocli {@code @Command}), found with
 * {@link java.util.ServiceLoader} so that this module needs to know nothing about it.
 */
public interface WeftCommand {
}

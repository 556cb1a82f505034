package dev.asyncprod.server.config;

/**
 * A mixin of {@link ServerCommand} that owns one group of flags: their fields, their validation
 * and the config record built from them. Each group is one section of {@code --help} and of
 * {@code docs/configuration.md}, under its {@link #heading()}, in the order the command declares them.
 */
interface OptionGroup {

    /** The section's title, e.g. {@code Limits}. */
    String heading();
}

package io.weft.docker;

/** A plugin call Weft refuses: Docker shows the message to the user as the reason its command failed. */
public final class PluginException extends RuntimeException {

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.weft.southbound;

import java.lang.reflect.Method;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;

/** Renders an OFPT_ERROR as "TYPE/CODE" names (for example {@code BAD_ACTION/BAD_OUT_GROUP}). */
final class ErrorNames {

    private ErrorNames() {
    }

    static String of(OFErrorMsg err) {
        String code;
        try {
            // Every typed error message (OFBadActionErrorMsg, ...) has getCode() returning its own code enum.
            // The implementation classes are package-private, so call it through the public interface.
            code = "?";
            for (Class<?> i : err.getClass().getInterfaces()) {
                if (OFErrorMsg.class.isAssignableFrom(i) && i != OFErrorMsg.class) {
                    Method m = i.getMethod("getCode");
                    code = String.valueOf(m.invoke(err));
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            code = "?";
        }
        return err.getErrType() + "/" + code;
    }
}

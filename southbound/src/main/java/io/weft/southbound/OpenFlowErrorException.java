package io.weft.southbound;

import org.projectfloodlight.openflow.protocol.OFErrorMsg;

/** The switch answered a request with OFPT_ERROR. */
public final class OpenFlowErrorException extends RuntimeException {

    private final transient OFErrorMsg error;

    public OpenFlowErrorException(org.projectfloodlight.openflow.protocol.OFType request, OFErrorMsg error) {
        super(ErrorNames.of(error) + " in reply to " + request);
        this.error = error;
    }

    public OFErrorMsg error() {
        return error;
    }
}

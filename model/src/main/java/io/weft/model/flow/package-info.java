/**
 * OpenFlow rules as plain data, independent of any OpenFlow library or wire version.
 *
 * <p>The flow compiler produces {@link io.weft.model.flow.FlowRule}s; the
 * southbound translates them to OpenFlow 1.3/1.4 messages and parses the switch's flow-stats back into them, so that
 * desired and installed flows compare with {@code equals}. Only what Weft's pipeline uses is modelled: a flow the
 * switch holds that does not parse into these types is, by definition, not one Weft wants.
 *
 * <p>Canonical forms make equality mean "same flow on the switch": matches are sorted by field with full masks
 * normalised to exact, and instructions are kept in the order OpenFlow executes them (apply-actions, write-metadata,
 * goto-table), which is also the order OVS reports them in.
 */
package io.weft.model.flow;

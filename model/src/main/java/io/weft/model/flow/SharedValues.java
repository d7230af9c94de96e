package io.weft.model.flow;

/**
 * One instance of the actions and instructions that many rules hold alike (go to a table, output to a port): a
 * controller holds every host's rules, and these are values.
 */
final class SharedValues {

    private static final Instruction.GotoTable[] GOTO = new Instruction.GotoTable[255];
    /** Filled as ports are asked for; a race makes two equal instances, which is harmless. */
    private static final Action.Output[] OUTPUTS = new Action.Output[4096];
    private static final Action.Output IN_PORT = new Action.Output(Action.PORT_IN_PORT);

    static {
        for (int t = 1; t < GOTO.length; t++) {
            GOTO[t] = new Instruction.GotoTable(t);
        }
    }

    private SharedValues() {
    }

    static Instruction.GotoTable gotoTable(int tableId) {
        return tableId >= 1 && tableId < GOTO.length ? GOTO[tableId] : new Instruction.GotoTable(tableId);
    }

    static Action.Output output(long port) {
        if (port > 0 && port < OUTPUTS.length) {
            Action.Output o = OUTPUTS[(int) port];
            if (o == null) {
                o = new Action.Output(port);
                OUTPUTS[(int) port] = o;
            }
            return o;
        }
        return port == Action.PORT_IN_PORT ? IN_PORT : new Action.Output(port);
    }
}

// Assembles and runs a machine.

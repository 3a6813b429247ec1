// The Linux user ABI.

// The PAPR hypervisor.

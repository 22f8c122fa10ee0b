/* The portable level: whatever the base flags of the compiler give (SSE2 on x86-64). */
#define SLX_LEVEL baseline
#include "kernels.inc"

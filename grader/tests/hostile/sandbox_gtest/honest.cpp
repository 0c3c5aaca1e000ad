// The same three wrong functions without the attacks: what the submission earns honestly.
// @INJECT matmul_backward
return;
// @INJECT div_backward
return;
// @INJECT mul_backward
return;

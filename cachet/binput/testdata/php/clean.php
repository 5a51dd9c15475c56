<?php
// Runs the vendor code Cachet cleans its input with, for gen_expected.go.
//
// Usage: php clean.php VENDOR_DIR < inputs.json > outputs.json
// inputs.json is a JSON list of base64 strings; the output lists, for each,
// [base64 of 2.4's result, base64 of 2.3's result].
// VENDOR_DIR holds (see gen_expected.go for how to get them):
//   v24/Security.php, v24/Utils.php  graham-campbell/security-core 1.0.3
//   v23/Security.php                 graham-campbell/security 3.7.0
// Each result is binput's process(): trim(), then Security::clean().
$dir = $argv[1];
function str_random($n) { return bin2hex(random_bytes(intdiv($n, 2))); } // Laravel 5.2 helper used by 3.7.0
require $dir.'/v24/Utils.php';
require $dir.'/v24/Security.php';
require $dir.'/v23/Security.php';
$s24 = new GrahamCampbell\SecurityCore\Security();
$s23 = new GrahamCampbell\Security\Security();
$out = [];
foreach (json_decode(stream_get_contents(STDIN), true) as $x) {
    $x = base64_decode($x);
    $out[] = [base64_encode($s24->clean(trim($x))), base64_encode($s23->clean(trim($x)))];
}
echo json_encode($out);

import { setFlagsFromString } from 'node:v8';

/**
 * V8 hands a function to its optimising compiler once it has run through its interrupt
 * budget: 66 KB of bytecode on Node 20's V8 (11.3). That suits a server; a lint is a process
 * of a second or a few, and V8's compiler threads spent nearly as much CPU as the lint's own
 * thread (on 3,000 small manifests 0.95 s of 1.9 s, 150 functions optimised, most of them
 * for a few milliseconds of use). Sixteen times the budget leaves the optimising to code
 * that runs long: there 1.8 s of CPU became 1.3 s, and the wall time fell too; 400 large
 * files with 14 charts took a fifth less. The CLI's entry imports this module before any
 * other, so every run of the command has it; the flag moves when code is optimised, never
 * what it does. Other V8s (Node 22's and later) tier up in other ways, and an unknown flag
 * is an error printed on stderr: they keep their defaults.
 */
if (process.versions.v8.startsWith('11.')) setFlagsFromString('--interrupt-budget=1081344');

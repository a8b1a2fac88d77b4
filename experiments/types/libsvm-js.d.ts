/** libsvm-js ships no types; experiments/lib/kernel-svm.ts declares the part it uses. */
declare module 'libsvm-js';

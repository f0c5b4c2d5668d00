// Vite bundles the stylesheet main.tsx imports for its side effect; the compiler only needs to know
// such an import is meant (TypeScript 7 checks side-effect imports by default).
declare module '*.css';

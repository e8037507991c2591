// The components now live in ./components/ (one file per group, the
// Deployable table in shop.ts and edge.ts); this re-export keeps older imports working.
export * from './components/index.ts';

// Next's ambient types (CSS imports, next/image), independent of the generated
// next-env.d.ts (rewritten by every build, so not in git).
/// <reference types="next" />
/// <reference types="next/image-types/global" />

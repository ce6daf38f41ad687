// What GOLDEN_CHECK may say, on its own: the server's config reads it without loading the check itself (onnxruntime).
export const goldenChecks = ['refuse', 'warn', 'off'] as const;
export type GoldenCheck = (typeof goldenChecks)[number];

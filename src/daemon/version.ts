/** The engine's version, reported by GET /version and `berthd --version`. */
export const engineVersion = '0.1.0';

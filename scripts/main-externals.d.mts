export declare const MAIN_EXTERNALS: readonly string[];

/** First lines of the command helps, apart so `smilecam --help` loads no engine code (the CLI start-up stays fast). */
export const ANALYZE_USAGE = 'Usage: smilecam analyze <image or folder...> [options]'

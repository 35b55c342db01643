/**
 * The user-facing messages of the LinkedIn flow, in one place so the app, browser mode and CLI
 * all say the same thing. Messages never contain cookies, headers or signed photo URLs.
 */
import { SmilecamError } from '../../shared/errors'

const FALLBACK_ADVICE =
  'Open the profile in the Smilecam app and sign in to LinkedIn there, or save your profile photo and audit the file (smilecam audit photo.jpg).'

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

export const linkedInErrors = {
  signInRequired: () =>
    new SmilecamError(
      'SIGN_IN_REQUIRED',
      `LinkedIn asks you to sign in before it shows this profile. ${FALLBACK_ADVICE} From the command line you may also give your own li_at cookie in SMILECAM_LI_AT or with --cookie-file.`
    ),
  blocked: (status: number) =>
    new SmilecamError(
      'BLOCKED',
      `LinkedIn refused the request (status ${status}); it blocks automated visits from signed-out visitors. ${FALLBACK_ADVICE}`
    ),
  profileNotFound: (profileUrl: string) =>
    new SmilecamError(
      'PROFILE_NOT_FOUND',
      `LinkedIn has no profile at ${profileUrl}. Check the address (copy it from your profile page) and try again.`
    ),
  noProfilePhoto: () =>
    new SmilecamError(
      'NO_PROFILE_PHOTO',
      'This LinkedIn profile has no profile photo (LinkedIn shows its default silhouette). Add a photo on LinkedIn, or audit a photo file instead.'
    ),
  photoNotFoundOnPage: () =>
    new SmilecamError(
      'NO_PROFILE_PHOTO',
      'Smilecam could not find a profile photo on that LinkedIn page. Save your profile photo and audit the file instead.'
    ),
  timeout: (what: string, timeoutMs: number) =>
    new SmilecamError(
      'TIMEOUT',
      `${what} took longer than ${seconds(timeoutMs)}. Check your connection and try again, or audit a saved photo file.`
    ),
  signInTimeout: (timeoutMs: number) =>
    new SmilecamError(
      'TIMEOUT',
      `Sign-in to LinkedIn was not finished within ${Math.round(timeoutMs / 60000)} min. Try again when you are ready.`
    ),
  redirectLoop: (host: string, redirects: number) =>
    new SmilecamError(
      'REDIRECT_LOOP',
      `${host} kept redirecting (${redirects} redirects) without reaching a page. Try again later, or audit a saved photo file.`
    ),
  notImage: (host: string, detail: string) =>
    new SmilecamError('RESPONSE_NOT_IMAGE', `The address on ${host} did not return an image (${detail}).`),
  tooLarge: (host: string, maxBytes: number) =>
    new SmilecamError(
      'RESPONSE_TOO_LARGE',
      `The image from ${host} is larger than ${(maxBytes / (1024 * 1024)).toFixed(1)} MB; Smilecam stopped downloading it. Save a smaller photo and audit the file.`
    ),
  pageTooLarge: (host: string, maxBytes: number) =>
    new SmilecamError(
      'RESPONSE_TOO_LARGE',
      `The page from ${host} is larger than ${(maxBytes / (1024 * 1024)).toFixed(1)} MB; Smilecam stopped reading it.`
    ),
  network: (host: string, reason: string) =>
    new SmilecamError('NETWORK_ERROR', `Could not load ${host}: ${reason}. Check your connection and try again.`),
  httpStatus: (host: string, status: number) =>
    new SmilecamError('NETWORK_ERROR', `${host} answered with HTTP status ${status}. Try again later, or audit a saved photo file.`),
  cancelled: () => new SmilecamError('CANCELLED', 'The LinkedIn photo download was cancelled.'),
  signInWindowClosed: () =>
    new SmilecamError('CANCELLED', 'The LinkedIn sign-in window was closed before the profile photo was loaded.'),
  badCookie: () =>
    new SmilecamError(
      'INVALID_INPUT',
      'The LinkedIn cookie must look like li_at=VALUE (copy the li_at cookie of your own signed-in browser); it may not contain spaces, semicolons or line breaks.'
    ),
  busy: () => new SmilecamError('INVALID_INPUT', 'A LinkedIn profile is already being loaded; wait for it to finish.')
} as const

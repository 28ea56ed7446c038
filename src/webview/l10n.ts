// The webview's translations live in src/view/l10n.ts (pure, so the shared layout code can label
// its axes too); the webview's modules import them from here.
export { setL10nBundle, t } from '../view/l10n';

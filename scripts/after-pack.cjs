// electron-builder afterPack hook (electron-builder.yml). With a local Electron folder as electronDist (scripts/dist.ts
// passes node_modules/electron/dist), electron-builder copies it as it is, Electron's default_app.asar included: that
// is Electron's own "drop an app here" page, which a packaged app never shows. CommonJS: electron-builder require()s it.
'use strict';
const { rm } = require('node:fs/promises');
const { join } = require('node:path');

exports.default = async function afterPack(context) {
  await rm(join(context.packager.getResourcesDir(context.appOutDir), 'default_app.asar'), { force: true });
};

// Placeholder entry for the Electron face; the shell is built on the core in main/.
import { app } from 'electron';

app.whenReady().then(() => {
  app.quit();
});

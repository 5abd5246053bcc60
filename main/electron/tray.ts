/**
 * The tray icon and its menu: renders trayMenuModel/trayIconKind/trayTooltip into Electron's
 * Tray and Menu, and reports clicked actions. Rebuilds the menu only when the model changed
 * (Linux panels flicker on every setContextMenu).
 */
import {
  Menu,
  Tray,
  nativeImage,
  type MenuItemConstructorOptions,
  type NativeImage,
} from 'electron';
import { trayIconPath } from './tray-icons';
import {
  trayIconKind,
  trayMenuModel,
  trayTooltip,
  type TrayAction,
  type TrayIconKind,
  type TrayMenuItem,
  type TrayState,
} from './tray-model';

export interface TrayControllerOptions {
  iconsDir: string;
  platform: NodeJS.Platform;
  /** `pool`: the pool a worker action scales (absent: the default pool). */
  onAction: (action: TrayAction, pool?: string) => void;
}

function toMenuItem(
  item: TrayMenuItem,
  onAction: TrayControllerOptions['onAction'],
): MenuItemConstructorOptions {
  switch (item.type) {
    case 'separator':
      return { type: 'separator' };
    case 'label':
      return { label: item.label, enabled: false };
    case 'action':
      return {
        label: item.label,
        enabled: item.enabled,
        click: () => onAction(item.id, item.pool),
      };
    case 'submenu':
      return {
        label: item.label,
        enabled: item.enabled,
        submenu: item.submenu.map((child) => toMenuItem(child, onAction)),
      };
  }
}

export class TrayController {
  private readonly tray: Tray;
  private readonly icons = new Map<TrayIconKind, NativeImage>();
  private lastMenu = '';
  private lastIcon: TrayIconKind | null = null;
  private lastTooltip = '';

  constructor(private readonly options: TrayControllerOptions) {
    this.tray = new Tray(this.icon('busy'));
    // Windows opens the console on a click; macOS and Linux show the menu.
    if (options.platform === 'win32') this.tray.on('click', () => options.onAction('open-console'));
  }

  render(state: TrayState): void {
    const kind = trayIconKind(state);
    if (kind !== this.lastIcon) {
      this.tray.setImage(this.icon(kind));
      this.lastIcon = kind;
    }
    const tooltip = trayTooltip(state);
    if (tooltip !== this.lastTooltip) {
      this.tray.setToolTip(tooltip);
      this.lastTooltip = tooltip;
    }
    const model = trayMenuModel(state);
    const key = JSON.stringify(model);
    if (key !== this.lastMenu) {
      this.tray.setContextMenu(
        Menu.buildFromTemplate(model.map((item) => toMenuItem(item, this.options.onAction))),
      );
      this.lastMenu = key;
    }
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }

  private icon(kind: TrayIconKind): NativeImage {
    let image = this.icons.get(kind);
    if (!image) {
      image = nativeImage.createFromPath(
        trayIconPath(this.options.iconsDir, kind, this.options.platform),
      );
      if (this.options.platform === 'darwin') image.setTemplateImage(true);
      this.icons.set(kind, image);
    }
    return image;
  }
}

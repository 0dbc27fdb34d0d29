// Sandboxed preload (contextIsolation on, sandbox on, no nodeIntegration): it can only require
// 'electron', so it is bundled; it exposes the contract's functions and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadApi } from './api';

contextBridge.exposeInMainWorld('soothe', buildPreloadApi(ipcRenderer));

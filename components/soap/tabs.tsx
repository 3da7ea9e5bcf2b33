// The SOAP page's segmented buttons are the lab kit's one tab control.
export { Segmented } from '@/components/lab/tab-bar';

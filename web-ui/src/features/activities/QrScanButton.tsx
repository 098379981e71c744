/**
 * Scans a customer's QR code with the camera via BarcodeDetector. Hidden where
 * the browser lacks BarcodeDetector or a camera API.
 */
import { Button, Popup } from 'antd-mobile';
import { ScanningOutline } from 'antd-mobile-icons';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorConstructor = new (options: { formats: string[] }) => Detector;

function barcodeDetector(): DetectorConstructor | null {
  if (typeof window === 'undefined' || !navigator.mediaDevices?.getUserMedia) return null;
  return (window as unknown as { BarcodeDetector?: DetectorConstructor }).BarcodeDetector ?? null;
}

export function QrScanButton({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [failed, setFailed] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const Constructor = barcodeDetector();

  useEffect(() => {
    if (!open || !Constructor) return;
    let stream: MediaStream | null = null;
    let timer = 0;
    let stopped = false;
    const detector = new Constructor({ formats: ['qr_code'] });
    void navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(async (media) => {
        stream = media;
        if (stopped || !video.current) return;
        video.current.srcObject = media;
        await video.current.play();
        const scan = async () => {
          if (stopped || !video.current) return;
          try {
            const codes = await detector.detect(video.current);
            if (codes[0]?.rawValue) {
              onCode(codes[0].rawValue.trim());
              setOpen(false);
              return;
            }
          } catch {
            // A frame that could not be read; try the next one.
          }
          timer = window.setTimeout(scan, 250);
        };
        void scan();
      })
      .catch(() => setFailed(true));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [open, Constructor, onCode]);

  if (!Constructor) return null;
  return (
    <>
      <Button size="small" onClick={() => { setFailed(false); setOpen(true); }} data-testid="scan-qr">
        <ScanningOutline /> {t('log.scan')}
      </Button>
      <Popup visible={open} onMaskClick={() => setOpen(false)} bodyStyle={{ padding: 16 }}>
        {failed ? <div>{t('log.cameraFailed')}</div> : <video ref={video} className="qr-video" muted playsInline />}
        <Button block onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </Button>
      </Popup>
    </>
  );
}

//! Running Rust without Ruby's GVL, so other Ruby threads go on and Ctrl-C can reach
//! us. `unblock` is what Ruby calls to interrupt (set a cancel flag there); after the
//! work returns, a pending interrupt is raised by Ruby and comes back as an `Error`.

use magnus::rb_sys::{protect, AsRawValue};
use magnus::{Error, Ruby};
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};

struct Call<F, R> {
    work: Option<F>,
    result: Option<std::thread::Result<R>>,
}

unsafe extern "C" fn run<F: FnOnce() -> R, R>(data: *mut c_void) -> *mut c_void {
    let call = &mut *(data as *mut Call<F, R>);
    if let Some(work) = call.work.take() {
        // A panic must not unwind through Ruby's C frames.
        call.result = Some(catch_unwind(AssertUnwindSafe(work)));
    }
    std::ptr::null_mut()
}

unsafe extern "C" fn unblock<U: Fn()>(data: *mut c_void) {
    let f = &*(data as *const U);
    let _ = catch_unwind(AssertUnwindSafe(f));
}

/// Runs `work` with the GVL released. Ok(None) when Ruby raised (Interrupt) before the
/// work could start; Err when Ruby has an exception pending, or `work` panicked.
pub fn without_gvl<F, R, U>(ruby: &Ruby, work: F, unblock_fn: U) -> Result<Option<R>, Error>
where
    F: FnOnce() -> R,
    U: Fn(),
{
    let mut call = Call {
        work: Some(work),
        result: None,
    };
    let call_ptr = &mut call as *mut Call<F, R> as *mut c_void;
    let ubf_ptr = &unblock_fn as *const U as *mut c_void;
    let nil = ruby.qnil().as_raw();
    protect(|| {
        unsafe {
            rb_sys::rb_thread_call_without_gvl(
                Some(run::<F, R>),
                call_ptr,
                Some(unblock::<U>),
                ubf_ptr,
            );
        }
        nil
    })?;
    match call.result {
        None => Ok(None),
        Some(Ok(r)) => Ok(Some(r)),
        Some(Err(_)) => Err(crate::errors::error(
            ruby,
            "Error",
            "internal error in photosync's native code (a bug; please report it)".into(),
        )),
    }
}
